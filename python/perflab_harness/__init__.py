"""perflab's in-sandbox harness: runs a learner's Python program and measures it.

Run as ``python -m perflab_harness``; the contract with the TypeScript host is
docs/harness-protocol.md. Kept import-free so that importing the package (for example
from the timeit worker) costs nothing.
"""
