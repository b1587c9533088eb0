# The restore drill's sandbox bridge (inventory.yaml drill.bridge): no ports, so a VM the drill
# restores (with the real VM's MAC) can never reach the LAN or meet the real VM on it.

resource "proxmox_virtual_environment_network_linux_bridge" "drill" {
  node_name = local.node_name
  name      = local.inventory.drill.bridge
  comment   = "homelab restore drill sandbox (isolated: no uplink)"
  autostart = true
}
