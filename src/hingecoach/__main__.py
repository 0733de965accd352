"""`python -m hingecoach` is `hinge` (how `hinge serve` starts its job workers)."""

from hingecoach.cli import main

main()
