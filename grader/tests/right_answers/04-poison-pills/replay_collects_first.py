"""A replay that receives every message first, reads each range whole with a generator
(skipping, for the next replay, a range it cannot read), deletes in batches, and returns
lists for pairs."""

ANSWERS = {
    "replay_failures": '''def replay_failures(sqs, destination_url, kinesis, process):
    received = []
    while True:
        reply = sqs.receive_message(QueueUrl=destination_url, MaxNumberOfMessages=10,
                                    WaitTimeSeconds=1)
        if not reply.get("Messages"):
            break
        received.extend(reply["Messages"])

    def in_range(info):
        last = int(info["endSequenceNumber"])
        shard_iterator = kinesis.get_shard_iterator(
            StreamARN=info["streamArn"], ShardId=info["shardId"],
            ShardIteratorType="AT_SEQUENCE_NUMBER",
            StartingSequenceNumber=info["startSequenceNumber"])["ShardIterator"]
        while shard_iterator is not None:
            page = kinesis.get_records(ShardIterator=shard_iterator, Limit=100)
            for record in page["Records"]:
                if int(record["SequenceNumber"]) > last:
                    return
                yield record
                if int(record["SequenceNumber"]) == last:
                    return
            if not page["Records"] and page["MillisBehindLatest"] == 0:  # at the tip
                return
            shard_iterator = page.get("NextShardIterator")

    failures = []
    done = []
    for message in received:
        info = json.loads(message["Body"])["KinesisBatchInfo"]
        try:
            records = list(in_range(info))  # the whole range, before processing any of it
        except Exception:
            continue  # unreadable for now: the message stays for the next replay
        for record in records:
            try:
                process(record["Data"])
            except Exception:
                failures.append([info["shardId"], record["SequenceNumber"]])
        done.append(message["ReceiptHandle"])
        if len(done) == 10:
            sqs.delete_message_batch(QueueUrl=destination_url, Entries=[
                {"Id": str(i), "ReceiptHandle": h} for i, h in enumerate(done)])
            done = []
    if done:
        sqs.delete_message_batch(QueueUrl=destination_url, Entries=[
            {"Id": str(i), "ReceiptHandle": h} for i, h in enumerate(done)])
    return failures
''',
}
