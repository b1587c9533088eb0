# Only credentials are variables: every other value is read from inventory.yaml (main.tf).

variable "proxmox_api_token" {
  description = "The API token of proxmox.token-id in inventory.yaml, as USER@REALM!ID=SECRET (the runbooks' proxmox-token secret). Set TF_VAR_proxmox_api_token; never write it in a file."
  type        = string
  sensitive   = true
}
