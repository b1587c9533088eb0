# The Talos nodes (inventory.yaml talos.nodes), booted from the Image Factory ISO of
# talos.iso; the machine configs are applied by homelab (talos/README.md), not by Terraform.

resource "proxmox_virtual_environment_download_file" "talos_iso" {
  node_name    = local.node_name
  content_type = "iso"
  datastore_id = local.inventory.talos.iso.storage
  file_name    = local.inventory.talos.iso.filename
  url          = local.inventory.talos.iso.url
  # Null until the checksum is written in the inventory; the algorithm goes with it.
  checksum           = local.inventory.talos.iso.checksum
  checksum_algorithm = local.inventory.talos.iso.checksum == null ? null : local.inventory.talos.iso["checksum-algorithm"]
}

resource "proxmox_virtual_environment_vm" "talos" {
  for_each = local.talos_nodes

  name      = each.value.name
  node_name = local.node_name
  vm_id     = each.value.vmid
  tags      = each.value.tags
  on_boot   = true

  # A Talos node reports its address through the guest agent (the schematic adds it).
  agent {
    enabled = true
  }

  cpu {
    cores = each.value.cores
    type  = "host"
  }

  memory {
    dedicated = each.value.memory
  }

  scsi_hardware = "virtio-scsi-single"

  # talos.install-disk (/dev/sda) is this disk: the first disk on VirtIO SCSI.
  disk {
    datastore_id = local.vm_storage
    interface    = "scsi0"
    size         = tonumber(trimsuffix(each.value.disk, "G"))
    file_format  = "raw"
    discard      = "on"
    ssd          = true
    iothread     = true
  }

  cdrom {
    file_id   = proxmox_virtual_environment_download_file.talos_iso.id
    interface = "ide2"
  }

  boot_order = ["scsi0", "ide2"]

  # The MAC matches the DHCP reservation of the node's ip, and on control-plane nodes the
  # interface that carries talos.vip.
  network_device {
    bridge      = local.bridge
    mac_address = each.value.mac
    model       = "virtio"
  }

  operating_system {
    type = "l26"
  }
}
