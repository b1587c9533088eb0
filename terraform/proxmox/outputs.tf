output "talos_vms" {
  description = "Each Talos node's VMID and MAC address, by name."
  value = {
    for name, vm in proxmox_virtual_environment_vm.talos : name => {
      vmid = vm.vm_id
      mac  = local.talos_nodes[name].mac
    }
  }
}

output "gaming_vms" {
  description = "Each gaming VM's VMID, by name."
  value       = { for name, vm in proxmox_virtual_environment_vm.gaming : name => vm.vm_id }
}

output "drill_bridge" {
  description = "The isolated bridge of the restore drill."
  value       = proxmox_virtual_environment_network_linux_bridge.drill.name
}
