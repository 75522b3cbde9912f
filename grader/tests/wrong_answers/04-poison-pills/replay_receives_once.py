"""The replay receives one batch of up to ten messages and stops there."""

BELIEVED = "One ReceiveMessage call of ten messages gets everything a replay needs."

VIOLATES = ["5.1"]

ANSWERS = {
    "replay_failures": '''def replay_failures(sqs, destination_url, kinesis, process):
    found = []
    resp = sqs.receive_message(QueueUrl=destination_url, MaxNumberOfMessages=10)
    for msg in resp.get("Messages", []):
        batch = json.loads(msg["Body"])["KinesisBatchInfo"]
        first, last = int(batch["startSequenceNumber"]), int(batch["endSequenceNumber"])
        it = kinesis.get_shard_iterator(StreamARN=batch["streamArn"], ShardId=batch["shardId"],
                                        ShardIteratorType="AT_SEQUENCE_NUMBER",
                                        StartingSequenceNumber=batch["startSequenceNumber"])
        it = it["ShardIterator"]
        done = False
        while not done:
            out = kinesis.get_records(ShardIterator=it)
            if not out["Records"] and out["MillisBehindLatest"] == 0:
                break
            for r in out["Records"]:
                n = int(r["SequenceNumber"])
                if n > last:
                    done = True
                    break
                try:
                    process(r["Data"])
                except Exception:
                    found.append((batch["shardId"], r["SequenceNumber"]))
            it = out["NextShardIterator"]
        sqs.delete_message(QueueUrl=destination_url, ReceiptHandle=msg["ReceiptHandle"])
    return found
''',
}

EXPECTED_FAILURES = {
    "test_replay_failures": "call it until the queue is empty",
}
