"""``python -m fluxparams.service serve ...`` / ``token create ...`` (same as ``fluxparams``)."""
import sys

from .command import main

sys.exit(main(sys.argv[1:]))
