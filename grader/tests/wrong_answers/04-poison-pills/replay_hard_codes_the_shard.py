"""The replay always reads the stream's first shard, whatever shard the message names."""

BELIEVED = "A stream has one shard, shardId-000000000000, as in the lab's example."

VIOLATES = ["5.2"]

EDITS = {
    "replay_failures": [
        ('StreamARN=info["streamArn"], ShardId=info["shardId"],',
         'StreamARN=info["streamArn"], ShardId="shardId-000000000000",'),
    ],
}

EXPECTED_FAILURES = {
    "test_replay_failures": "read the shard it names",
}
