"""`python -m hingecoach` runs the `hinge` command."""

from hingecoach.cli import main

if __name__ == "__main__":
    main()
