"""The Talos node doubles of the lab (see README.md in this folder)."""
