"""The daily phases, one module each, in the order the model calls them.

Every phase is a small function over the member table (``sim.model.table``) that names in its
docstring the claims of DESIGN.md (C1..C19) it encodes.
"""
