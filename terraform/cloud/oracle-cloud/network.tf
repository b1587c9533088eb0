# One VCN with one public subnet. The security list opens exactly 443/tcp (Traefik) and the
# WireGuard port (udp) to the world; SSH and Vault are reachable only through the tunnel.

resource "oci_core_vcn" "edge" {
  compartment_id = var.tenancy_ocid
  cidr_blocks    = [local.vps.vcn]
  display_name   = "${local.vps.name}-vcn"
  dns_label      = local.vps.name
}

resource "oci_core_internet_gateway" "edge" {
  compartment_id = var.tenancy_ocid
  vcn_id         = oci_core_vcn.edge.id
  display_name   = "${local.vps.name}-igw"
  enabled        = true
}

resource "oci_core_route_table" "edge" {
  compartment_id = var.tenancy_ocid
  vcn_id         = oci_core_vcn.edge.id
  display_name   = "${local.vps.name}-routes"

  route_rules {
    destination       = "0.0.0.0/0"
    destination_type  = "CIDR_BLOCK"
    network_entity_id = oci_core_internet_gateway.edge.id
  }
}

resource "oci_core_security_list" "edge" {
  compartment_id = var.tenancy_ocid
  vcn_id         = oci_core_vcn.edge.id
  display_name   = "${local.vps.name}-security"

  egress_security_rules {
    destination = "0.0.0.0/0"
    protocol    = "all"
  }

  # Traefik: HTTPS for the public services (vps.public-services).
  ingress_security_rules {
    source   = "0.0.0.0/0"
    protocol = "6"

    tcp_options {
      min = 443
      max = 443
    }
  }

  # WireGuard: the homelab dials the VPS.
  ingress_security_rules {
    source   = "0.0.0.0/0"
    protocol = "17"

    udp_options {
      min = local.wireguard.port
      max = local.wireguard.port
    }
  }

  # Path MTU discovery (fragmentation needed); without it, large packets over the tunnel stall.
  ingress_security_rules {
    source   = "0.0.0.0/0"
    protocol = "1"

    icmp_options {
      type = 3
      code = 4
    }
  }
}

resource "oci_core_subnet" "edge" {
  compartment_id             = var.tenancy_ocid
  vcn_id                     = oci_core_vcn.edge.id
  cidr_block                 = local.vps.subnet
  display_name               = "${local.vps.name}-public"
  dns_label                  = "public"
  route_table_id             = oci_core_route_table.edge.id
  security_list_ids          = [oci_core_security_list.edge.id]
  prohibit_public_ip_on_vnic = false
}
