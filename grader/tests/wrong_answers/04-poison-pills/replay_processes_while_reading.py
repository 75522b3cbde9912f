"""The replay processes a range page by page as it reads it; when a later page's read
fails, the message stays, and the next replay processes the first pages again."""

BELIEVED = "Processing each page as it arrives is the same as processing the range once read."

VIOLATES = ["5.4"]

ANSWERS = {
    "replay_failures": '''def replay_failures(sqs, destination_url, kinesis, process):
    pills = []
    while True:
        messages = sqs.receive_message(QueueUrl=destination_url,
                                       MaxNumberOfMessages=10).get("Messages", [])
        if not messages:
            return pills
        for message in messages:
            info = json.loads(message["Body"])["KinesisBatchInfo"]
            end = int(info["endSequenceNumber"])
            try:
                iterator = kinesis.get_shard_iterator(
                    StreamARN=info["streamArn"], ShardId=info["shardId"],
                    ShardIteratorType="AT_SEQUENCE_NUMBER",
                    StartingSequenceNumber=info["startSequenceNumber"])["ShardIterator"]
                finished = False
                while iterator and not finished:
                    page = kinesis.get_records(ShardIterator=iterator)
                    if not page["Records"] and page["MillisBehindLatest"] == 0:
                        break
                    for record in page["Records"]:
                        if int(record["SequenceNumber"]) > end:
                            finished = True
                            break
                        try:
                            process(record["Data"])
                        except Exception:
                            pills.append((info["shardId"], record["SequenceNumber"]))
                    iterator = page.get("NextShardIterator")
            except Exception:
                continue  # the message stays, for the next replay
            sqs.delete_message(QueueUrl=destination_url, ReceiptHandle=message["ReceiptHandle"])
''',
}

EXPECTED_FAILURES = {
    "test_replay_failures": "Read the whole range before you process any of it",
}
