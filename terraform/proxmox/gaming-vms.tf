# The gaming VMs (inventory.yaml gaming): q35 + OVMF with the GPU through the cluster PCI
# mapping (an API token may not pass a raw PCI address; docs/proxmox.md). They share the GPU,
# so they are never started at boot: one runs at a time.

resource "proxmox_virtual_environment_vm" "gaming" {
  for_each = local.gaming_vms

  name      = each.value.name
  node_name = local.node_name
  vm_id     = each.value.vmid
  tags      = each.value.tags
  machine   = each.value.machine
  bios      = each.value.bios
  on_boot   = false
  started   = false

  cpu {
    cores = each.value.cores
    type  = "host"
  }

  memory {
    dedicated = each.value.memory
  }

  scsi_hardware = "virtio-scsi-single"

  disk {
    datastore_id = local.vm_storage
    interface    = "scsi0"
    size         = tonumber(trimsuffix(each.value.disk, "G"))
    file_format  = "raw"
    discard      = "on"
    ssd          = true
    iothread     = true
  }

  # OVMF keeps its variables here; Microsoft's keys are enrolled when secure-boot is set.
  efi_disk {
    datastore_id      = local.vm_storage
    type              = "4m"
    pre_enrolled_keys = lookup(each.value, "secure-boot", false)
  }

  # Windows 11 wants a TPM 2.0; only the VMs with tpm: true get one.
  dynamic "tpm_state" {
    for_each = lookup(each.value, "tpm", false) ? [each.value.name] : []
    content {
      datastore_id = local.vm_storage
      version      = "v2.0"
    }
  }

  hostpci {
    device  = "hostpci0"
    mapping = each.value.gpu
    pcie    = true
    xvga    = true
  }

  network_device {
    bridge = local.bridge
    model  = "virtio"
  }

  operating_system {
    type = each.value.ostype
  }
}
