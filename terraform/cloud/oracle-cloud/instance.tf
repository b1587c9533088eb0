# The VPS itself: an Ampere A1 Flex instance inside the Always Free limits, with a reserved
# public address (the WireGuard endpoint and the public services' DNS target survive a rebuild).

locals {
  cloud_init = templatefile("${path.module}/cloud-init.yaml.tftpl", {
    ssh_user           = local.vps["ssh-user"]
    public_hosts       = local.public_hosts
    wireguard_port     = local.wireguard.port
    vps_address        = local.wireguard["vps-address"]
    homelab_address    = local.wireguard["homelab-address"]
    tunnel_prefix      = local.tunnel_prefix
    tunnel             = local.wireguard.tunnel
    lan                = local.inventory.network.lan
    homelab_endpoint   = "${local.wireguard.service}.${local.domain}"
    homelab_public_key = var.homelab_wireguard_public_key
    traefik_version    = local.vps["traefik-version"]
    vault_version      = local.vps["vault-version"]
    vault_port         = local.vps["vault-port"]
  })
}

data "oci_identity_availability_domains" "all" {
  compartment_id = var.tenancy_ocid
}

# The newest platform image of vps.image for the shape (aarch64 for A1).
data "oci_core_images" "platform" {
  compartment_id           = var.tenancy_ocid
  operating_system         = local.vps.image.os
  operating_system_version = local.vps.image.version
  shape                    = local.vps.shape
  sort_by                  = "TIMECREATED"
  sort_order               = "DESC"
}

resource "oci_core_instance" "edge" {
  compartment_id      = var.tenancy_ocid
  availability_domain = data.oci_identity_availability_domains.all.availability_domains[0].name
  display_name        = local.vps.name
  shape               = local.vps.shape

  shape_config {
    ocpus         = local.vps.ocpus
    memory_in_gbs = local.vps["memory-gb"]
  }

  source_details {
    source_type             = "image"
    source_id               = data.oci_core_images.platform.images[0].id
    boot_volume_size_in_gbs = local.vps["boot-volume-gb"]
  }

  create_vnic_details {
    subnet_id        = oci_core_subnet.edge.id
    hostname_label   = local.vps.name
    assign_public_ip = false
  }

  metadata = {
    ssh_authorized_keys = var.ssh_public_key
    user_data           = base64encode(local.cloud_init)
  }

  lifecycle {
    # Always Free: A1 Flex gets 4 OCPUs and 24 GB of memory in all, 200 GB of block volumes.
    precondition {
      condition     = local.vps.shape == "VM.Standard.A1.Flex"
      error_message = "vps.shape must be VM.Standard.A1.Flex: the Always Free Arm shape."
    }
    precondition {
      condition     = local.vps.ocpus <= local.vps["always-free"].ocpus && local.vps["memory-gb"] <= local.vps["always-free"]["memory-gb"]
      error_message = "vps.ocpus and vps.memory-gb exceed the Always Free limits (vps.always-free)."
    }
    precondition {
      condition     = local.vps["boot-volume-gb"] >= 47 && local.vps["boot-volume-gb"] <= local.vps["always-free"]["block-volume-gb"]
      error_message = "vps.boot-volume-gb must be at least 47 (the smallest boot volume) and within vps.always-free.block-volume-gb."
    }
    # A new image build must not replace the VPS; Renovate-style updates happen on the host.
    ignore_changes = [source_details[0].source_id]
  }
}

data "oci_core_vnic_attachments" "edge" {
  compartment_id = var.tenancy_ocid
  instance_id    = oci_core_instance.edge.id
}

data "oci_core_private_ips" "edge" {
  vnic_id = data.oci_core_vnic_attachments.edge.vnic_attachments[0].vnic_id
}

resource "oci_core_public_ip" "edge" {
  compartment_id = var.tenancy_ocid
  display_name   = "${local.vps.name}-public"
  lifetime       = "RESERVED"
  private_ip_id  = data.oci_core_private_ips.edge.private_ips[0].id
}
