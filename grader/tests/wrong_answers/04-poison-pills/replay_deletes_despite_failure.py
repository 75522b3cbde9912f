"""The replay logs a failed read and deletes the message anyway, losing its batch."""

BELIEVED = "A message whose replay failed is done with: deleting it keeps the queue clean."

VIOLATES = ["5.5"]

ANSWERS = {
    "replay_failures": '''def replay_failures(sqs, destination_url, kinesis, process):
    failed_again = []

    def records_between(info):
        iterator = kinesis.get_shard_iterator(
            StreamARN=info["streamArn"], ShardId=info["shardId"],
            ShardIteratorType="AT_SEQUENCE_NUMBER",
            StartingSequenceNumber=info["startSequenceNumber"])["ShardIterator"]
        end = int(info["endSequenceNumber"])
        while iterator:
            page = kinesis.get_records(ShardIterator=iterator)
            if not page["Records"]:
                return
            for record in page["Records"]:
                if int(record["SequenceNumber"]) > end:
                    return
                yield record
            iterator = page.get("NextShardIterator")

    while True:
        messages = sqs.receive_message(QueueUrl=destination_url,
                                       MaxNumberOfMessages=10).get("Messages", [])
        if not messages:
            return failed_again
        for message in messages:
            info = json.loads(message["Body"])["KinesisBatchInfo"]
            try:
                for record in records_between(info):
                    try:
                        process(record["Data"])
                    except Exception:
                        failed_again.append((info["shardId"], record["SequenceNumber"]))
            except Exception as error:
                print("could not replay", info["shardId"], error)
            sqs.delete_message(QueueUrl=destination_url, ReceiptHandle=message["ReceiptHandle"])
''',
}

EXPECTED_FAILURES = {
    "test_replay_failures": "delete a message only once its batch is replayed",
}
