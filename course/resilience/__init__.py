"""The helper package of the resilient-cloud-systems course.

One job per module:

- ``clock``: simulated time and seeded randomness, injected wherever code waits or draws;
- ``sandbox``: a ready moto-backed AWS world with fake credentials, cleaned up after use;
- ``motoclock``: moto in simulated time (SQS timestamps and visibility, Kinesis arrival times
  and retention);
- ``faults``: fault injection on boto3 clients (throttling, 5xx, connect and read timeouts,
  latency, partly failed batch calls, Kinesis shard limits);
- ``shards``: Kinesis's partition-key hashing and its write limits in simulated time;
- ``timeouts``: the simpy model of a producer's worker pool calling a slow dependency;
- ``jitter``: the simpy model of clients contending on one row, with five backoff strategies;
- ``amplification``: retries multiplying through a stack of layers, and retry budgets;
- ``bursts``: the simpy model of producers bursting into a stream's shards;
- ``eventsources``: Lambda's event source mappings for Kinesis and SQS, emulated over moto;
- ``poisonpills``: chapter 4's scenarios, a poison pill in a shard and in a queue;
- ``overload``: simpy overload models (open-loop load, clients that time out and retry, a
  server with queues and contention); ``loadshedding``: chapter 5's scenarios on them;
- ``backlogs``: the simpy queue behind chapter 6 (surges, outages, FIFO, LIFO, TTL,
  spill-over);
- ``shufflesharding``: stable shard assignment and the overlap combinatorics;
  ``isolation``: chapter 7's simpy model of tenants over shared, fixed or shuffled queues;
- ``idempotency``: an idempotency store on DynamoDB and a payment API that counts charges;
  ``duplicates``: chapter 8's scenario, orders charged through an at-least-once queue;
- ``plots`` and ``widgets``: the chapters' figures and their interactive controls;
- ``checks``: the checks behind the labs' visible and hidden tests.

Import the module you need (``from resilience.clock import SimClock``); this package
imports nothing heavy on its own.
"""

__version__ = "0.1.0"
