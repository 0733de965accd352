"""`python -m hingecoach` is `hinge` (how `hinge serve` starts its job workers)."""

from hingecoach.cli.entry import main

main()
