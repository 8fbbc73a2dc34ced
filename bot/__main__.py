"""`python -m bot`: the same as `repair-coach bot`."""

import sys

from cli.main import main

sys.exit(main(["bot", *sys.argv[1:]]))
