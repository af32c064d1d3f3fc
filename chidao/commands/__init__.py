"""Sub-commands of `chidao`; each module has `register(subparsers)`."""
