"""A replay that retries a throttled GetRecords (and skips, without deleting, a message it
cannot read), and stops a range at its end record."""

ANSWERS = {
    "replay_failures": '''from botocore.exceptions import ClientError


def replay_failures(sqs, destination_url, kinesis, process):
    def get_records(iterator):
        for attempt in range(5):
            try:
                return kinesis.get_records(ShardIterator=iterator)
            except ClientError as error:
                code = error.response["Error"]["Code"]
                if code != "ProvisionedThroughputExceededException" or attempt == 4:
                    raise

    def replay(info, pills):
        iterator = kinesis.get_shard_iterator(
            StreamARN=info["streamArn"], ShardId=info["shardId"],
            ShardIteratorType="AT_SEQUENCE_NUMBER",
            StartingSequenceNumber=info["startSequenceNumber"])["ShardIterator"]
        end = int(info["endSequenceNumber"])
        while True:
            page = get_records(iterator)
            for record in page["Records"]:
                number = int(record["SequenceNumber"])
                if number > end:
                    return
                try:
                    process(record["Data"])
                except Exception:
                    pills.append((info["shardId"], record["SequenceNumber"]))
                if number == end:
                    return
            if not page["Records"] and page["MillisBehindLatest"] == 0:  # at the tip
                return
            iterator = page["NextShardIterator"]

    pills = []
    while True:
        messages = sqs.receive_message(QueueUrl=destination_url,
                                       MaxNumberOfMessages=10).get("Messages", [])
        if not messages:
            return pills
        for message in messages:
            info = json.loads(message["Body"])["KinesisBatchInfo"]
            try:
                replay(info, pills)
            except ClientError as error:
                print("will retry later:", error)
                continue
            sqs.delete_message(QueueUrl=destination_url, ReceiptHandle=message["ReceiptHandle"])
''',
}
