"""The helper package of the resilient-cloud-systems course: the index of its modules.

Each kind of code has its room, and each module one job. ``course/tests/test_packaging.py``
checks that every module is listed here and that every name listed is a module.

What learners import (each declares ``__all__``):

- ``clock``: simulated time and seeded randomness, injected wherever code waits or draws;
  the ``Clock`` protocol code that waits is written against;
- ``sandbox``: a ready moto-backed AWS world with fake credentials, cleaned up after use;
- ``faults``: fault injection on boto3 clients (throttling, 5xx, connect and read timeouts,
  latency, partly failed batch calls, Kinesis shard limits);
- ``eventsources``: Lambda's event source mappings for Kinesis and SQS, emulated over moto
  with AWS's parameters, defaults and event shapes;
- ``idempotency``: an idempotency store on DynamoDB and a payment API that counts charges;
- ``chaos``: fault schedules as data (what, where, when, how long, seeded), installed on the
  fault layer, printed and read back for replay, and generated and shrunk by Hypothesis;
- ``pipeline``: the capstone's order pipeline (clients, a front door, a producer, a Kinesis
  consumer, a payment API, an orders table, a failure queue) run on moto in simulated time
  under a fault schedule, with a learner's five parts plugged in;
- ``invariants``: the capstone's five invariants judged on a run, and the objectives' numbers;
- ``counterexamples``: the search, family by family, for the smallest schedule that breaks
  a pipeline's invariants, and the replay of one from its line.

``aws``, AWS itself and moto's gaps:

- ``aws.facts``: every AWS limit and default the course states, with its source, the
  sandbox's region and account, and ``arn()``;
- ``aws.motoclock``: moto in simulated time (SQS timestamps, visibility timeouts and long
  polls, Kinesis arrival times and retention);
- ``aws.kinesisgaps``: moto's Kinesis gaps (shard iterators by ARN, PutRecords' 10 MiB);
- ``aws.shardpeek``: whether a shard read would return records, asked of moto without a
  call (the event source mapping emulator skips the reads that would not);
- ``aws.movetasks``: SQS dead-letter queue redrive (``StartMessageMoveTask``), which moto lacks;
- ``aws.shards``: Kinesis's partition-key hashing and each shard's write limits;
- ``aws.mappingparams``: an event source mapping's parameters, checked as Lambda checks them;
- ``aws.eventfilters``: Lambda's event filtering (``FilterCriteria``).

``models``, pure simulation and maths (no moto, no widgets, no progress bars):

- ``models.timeouts``: a producer's worker pool calling a slow dependency;
- ``models.jitter``: clients contending on one row, with five backoff strategies;
- ``models.amplification``: retries multiplying through a stack of layers, and budgets;
- ``models.bursts``: producers bursting into a stream's shards;
- ``models.poison``: a poison pill, and Kinesis and SQS handlers that meet it;
- ``models.overload``: open-loop load, clients that time out and retry, a server with
  queues and contention, admission and shed policies, goodput apart from throughput;
- ``models.backlogs``: a queue through surges and outages (FIFO, LIFO, TTL, spill-over);
- ``models.shufflesharding``: stable shard assignment and the overlap combinatorics;
- ``models.isolation``: tenants over one shared queue, fixed shards or shuffle shards;
- ``models.bulkheads``: two APIs sharing one worker pool while one dependency slows, with
  and without per-API limits; Lambda's account pool and reserved concurrency;
- ``models.healthchecks``: a fleet behind a load balancer whose health checks fail under
  load and cascade, and the fixes (shallow checks, failing open, shedding);
- ``models.workers``: idle workers that wait for work, woken one at a time;
- ``models.stats``: the percentile every model and check reports with;
- ``models.frozen``: read-only mappings for the frozen results that cached simulations share;
- ``models.tokenbucket``: a token bucket in a clock's time (rate limits, throttles);
- ``models.retrybudget``: a retry budget that requests pay into, so retries stay a share.

``chapters``, one module per chapter: its scenarios, its figures and its explorers:

- ``chapters.ch00_everything_fails``, ``chapters.ch01_timeouts``, ``chapters.ch02_retries``,
  ``chapters.ch03_partial_failures``, ``chapters.ch04_poison_pills``,
  ``chapters.ch05_load_shedding``, ``chapters.ch06_queue_backlogs``,
  ``chapters.ch07_shuffle_sharding``, ``chapters.ch08_idempotency``,
  ``chapters.ch09_capstone``.

``ui``, what every chapter's presentation shares:

- ``ui.figures``: the course's figure style (palette, fonts, captions, axis helpers);
- ``ui.explorers``: a drawing function wired to its controls as a live PNG widget;
- ``ui.progress``: a progress bar for a simulation that runs in steps;
- ``ui.effort``: the start page's time estimates, counted from the notebooks (words, widgets,
  requirements, answer cells, solution lines).

``checks``, what the labs' tests check, one module per lab:

- ``checks.timeouts``, ``checks.retries``, ``checks.partial_failures``,
  ``checks.poison_pills``, ``checks.load_shedding``, ``checks.queue_backlogs``,
  ``checks.shuffle_sharding``, ``checks.idempotency``, ``checks.capstone``;
- ``checks.explain``: the one translation of a learner's error into feedback, which the
  visible tests and the grader share;
- ``checks.visible``: runs a lab's visible tests in the learner's kernel;
- ``checks.properties``: a contract tried on generated inputs (Hypothesis), and the error
  families the labs name;
- ``checks.requirements``: each lab's numbered requirements and the tests that enforce them.

Import the module you need (``from resilience.clock import SimClock``); this package
imports nothing heavy on its own.
"""

__version__ = "0.1.0"
