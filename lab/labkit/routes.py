"""The double's route table: (method, schema path template) -> handler(ctx, params).
Every key must exist in the real schema; lab/tests/test_schema.py proves it."""
from . import node_api, qemu_create, qemu_power, qemu_vm, storage_api

Q = "/nodes/{node}/qemu/{vmid}"

ROUTES = {
    ("GET", "/version"): node_api.version,
    ("GET", "/cluster/nextid"): node_api.nextid,
    ("GET", "/nodes"): node_api.nodes,
    ("GET", "/nodes/{node}/qemu"): qemu_vm.list_vms,
    ("POST", "/nodes/{node}/qemu"): qemu_create.create,
    ("GET", f"{Q}/config"): qemu_vm.get_config,
    ("PUT", f"{Q}/config"): qemu_vm.put_config,
    ("POST", f"{Q}/config"): qemu_vm.post_config,
    ("POST", f"{Q}/clone"): qemu_vm.clone,
    ("GET", f"{Q}/status/current"): qemu_power.current,
    ("POST", f"{Q}/status/start"): qemu_power.start,
    ("POST", f"{Q}/status/stop"): qemu_power.stop,
    ("POST", f"{Q}/status/shutdown"): qemu_power.shutdown,
    ("POST", f"{Q}/status/reboot"): qemu_power.reboot,
    ("DELETE", Q): qemu_vm.destroy,
    ("GET", f"{Q}/agent/network-get-interfaces"): qemu_power.network_interfaces,
    ("GET", "/nodes/{node}/storage"): storage_api.list_storages,
    ("GET", "/nodes/{node}/storage/{storage}/content"): storage_api.list_content,
    ("POST", "/nodes/{node}/storage/{storage}/upload"): storage_api.upload,
    ("POST", "/nodes/{node}/storage/{storage}/download-url"): storage_api.download_url,
    ("GET", "/nodes/{node}/tasks"): node_api.task_list,
    ("GET", "/nodes/{node}/tasks/{upid}/status"): node_api.task_status,
    ("GET", "/nodes/{node}/tasks/{upid}/log"): node_api.task_log,
    ("DELETE", "/nodes/{node}/tasks/{upid}"): node_api.task_stop,
}

UPLOAD = ("POST", "/nodes/{node}/storage/{storage}/upload")
