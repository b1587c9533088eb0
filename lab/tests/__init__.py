"""The lab's own tests (python -m unittest discover -s lab/tests [-t lab])."""
