"""The stages of a run, one module each, in the order :func:`toolkit.batch.run_batch` calls them.

:mod:`~toolkit.run.options` (what to build, progress events) →
:mod:`~toolkit.run.precheck` (releases known to be up to date, skipped before reading) →
:mod:`~toolkit.run.reading` → :mod:`~toolkit.run.translating` →
:mod:`~toolkit.run.planning` (output keys from :mod:`~toolkit.run.keys`) →
:mod:`~toolkit.run.rendering` (worker processes, atomic writes, manifests);
:mod:`~toolkit.run.outcome` holds what became of each release and
:mod:`~toolkit.run.scan` finds releases in a folder. A local batch and a Dask
cluster (:mod:`toolkit.cluster`) run the same stages.
"""
