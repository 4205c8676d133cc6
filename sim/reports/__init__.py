"""Reports: figures and pages that show result folders to people, for a projector as much as
a screen; they read results, never the model.

Layer 5 (imports ``sim.results`` and ``sim.run``'s file helpers): ``figures`` draws the
comparison figures with 95% bands, ``words`` puts numbers and findings in plain language,
``html`` assembles report.html, ``outputs`` makes every comparison file as bytes and runs
``community-sim compare``.
"""

from .outputs import Outputs, build_outputs, compare, write_outputs

__all__ = ["Outputs", "build_outputs", "compare", "write_outputs"]
