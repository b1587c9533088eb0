"""Who may call what (reference/talos-api.md §7, machined's rules in v1.13) and which role a
caller has: in maintenance mode every (non-SideroLink) caller is `os:reader`; in configured mode
the roles are the O= values of the verified client certificate."""
from grpclib.const import Status
from grpclib.exceptions import GRPCError

ADMIN, OPERATOR, READER, ETCD_BACKUP = "os:admin", "os:operator", "os:reader", "os:etcd:backup"
MAINTENANCE_ROLES = (READER,)

RULES = {
    "/machine.MachineService/Bootstrap": (ADMIN,),
    "/machine.MachineService/Kubeconfig": (ADMIN,),
    "/machine.MachineService/EtcdRecover": (ADMIN,),
    "/machine.MachineService/Reset": (ADMIN,),
    "/machine.MachineService/Reboot": (ADMIN, OPERATOR),
    "/machine.MachineService/EtcdSnapshot": (ADMIN, OPERATOR, ETCD_BACKUP),
    "/machine.MachineService/EtcdMemberList": (ADMIN, OPERATOR, READER, ETCD_BACKUP),
    "/machine.MachineService/EtcdStatus": (ADMIN, OPERATOR, READER, ETCD_BACKUP),
    "/machine.MachineService/Version": (ADMIN, OPERATOR, READER),
    "/machine.MachineService/ServiceList": (ADMIN, OPERATOR, READER),
    "/cluster.ClusterService/HealthCheck": (ADMIN, OPERATOR, READER),
    # Checked again in the handler: in configured mode applying needs os:admin.
    "/machine.MachineService/ApplyConfiguration": (ADMIN, READER),
}


def allowed(path, roles):
    """Any method without a rule is admin-only (machined's fallback)."""
    return any(role in roles for role in RULES.get(path, (ADMIN,)))


def check(path, roles):
    if not allowed(path, roles):
        raise GRPCError(Status.PERMISSION_DENIED, "not authorized")


def require_admin(roles):
    if ADMIN not in roles:
        raise GRPCError(Status.PERMISSION_DENIED, "not authorized")
