"""Durable delivery: the outbox table written in the caller's transaction, and the worker.

- ``outbox``: ``enqueue``/``record_event`` (never commit);
- ``handlers``: the registry of ``(event, concern)`` handlers and periodic tasks;
- ``worker``: ``Worker`` claims due jobs and runs their handlers;
- ``errors``: ``RetryLater`` and ``PermanentFailure``, what a handler raises;
- ``queries``: ``list_jobs``, ``get_job``, ``retry_dead_job``.
"""
