"""The replay reads one page of records per message and never follows NextShardIterator."""

BELIEVED = "One GetRecords call returns the whole range."

VIOLATES = ["5.2"]

ANSWERS = {
    "replay_failures": '''def replay_failures(sqs, destination_url, kinesis, process):
    pills = []
    while True:
        got = sqs.receive_message(QueueUrl=destination_url, MaxNumberOfMessages=10)
        if "Messages" not in got:
            break
        for message in got["Messages"]:
            info = json.loads(message["Body"])["KinesisBatchInfo"]
            start, end = int(info["startSequenceNumber"]), int(info["endSequenceNumber"])
            iterator = kinesis.get_shard_iterator(
                StreamARN=info["streamArn"], ShardId=info["shardId"],
                ShardIteratorType="AT_SEQUENCE_NUMBER",
                StartingSequenceNumber=info["startSequenceNumber"])["ShardIterator"]
            records = kinesis.get_records(ShardIterator=iterator, Limit=end - start + 1)
            for record in records["Records"]:
                if start <= int(record["SequenceNumber"]) <= end:
                    try:
                        process(record["Data"])
                    except Exception:
                        pills.append((info["shardId"], record["SequenceNumber"]))
            sqs.delete_message(QueueUrl=destination_url, ReceiptHandle=message["ReceiptHandle"])
    return pills
''',
}

EXPECTED_FAILURES = {
    "test_replay_failures": "follow NextShardIterator",
}
