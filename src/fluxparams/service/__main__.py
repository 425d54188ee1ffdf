"""``python -m fluxparams.service serve ...`` / ``token create|list|revoke ...`` (same as ``fluxparams``)."""
import sys

from .command import main

if __name__ == "__main__":  # a worker process may import this module (multiprocessing)
    sys.exit(main(sys.argv[1:]))
