"""Smooth's Django project.

One BLAS thread per process, set before numpy loads (every entry point imports this
package first: manage.py, smooth.asgi, the tests' settings). The model's forward pass
asks for one thread on every call; with OpenBLAS's default pool of one thread per core,
each call resized the pool and its threads spun, and embedding one question cost 28 ms
of CPU instead of 2 ms. A server has its own concurrency: sockets, the database thread,
the model threads. An operator can still set these variables to something else.
"""

import os

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")
