"""labkit: the local lab process (a Proxmox VE API double, its control interface, the lab's
inventory and identity). `lab/lab.py` is the command line; everything else lives here."""
