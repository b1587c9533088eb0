# The OCI API credentials (an API signing key of a user of the tenancy) are secrets; the two
# public keys are not, but belong to the operator and the homelab, not to the inventory.

variable "tenancy_ocid" {
  description = "The tenancy's OCID; the VPS and its network go in the root compartment (Always Free resources live there)."
  type        = string
  sensitive   = true
}

variable "user_ocid" {
  description = "The OCID of the user whose API signing key Terraform uses."
  type        = string
  sensitive   = true
}

variable "api_key_fingerprint" {
  description = "The fingerprint of that user's API signing key."
  type        = string
  sensitive   = true
}

variable "api_private_key" {
  description = "The PEM private key of that API signing key (TF_VAR_api_private_key; never in a file of this repository)."
  type        = string
  sensitive   = true
}

variable "ssh_public_key" {
  description = "The operator's SSH public key (OpenSSH format), allowed to log in as vps.ssh-user over the tunnel."
  type        = string
}

variable "homelab_wireguard_public_key" {
  description = "The homelab end's WireGuard public key (kubernetes/base/wireguard-vpn, inventory.yaml wireguard.service); the VPS makes its own key pair at first boot, so no private key passes through Terraform."
  type        = string
}
