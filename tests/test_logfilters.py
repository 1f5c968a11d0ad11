import logging

from core.logfilters import RepeatFilter, Throttle


def record(message: str, name: str = "channels_redis.pubsub") -> logging.LogRecord:
    return logging.LogRecord(name, logging.ERROR, __file__, 1, message, None, None)


def test_a_run_of_identical_records_becomes_one_per_window_with_a_count():
    now = [0.0]
    repeats = RepeatFilter(window=60, clock=lambda: now[0])
    assert repeats.filter(record("Unexpected exception in receive task"))
    for second in range(1, 60):
        now[0] = second
        assert not repeats.filter(record("Unexpected exception in receive task"))
    now[0] = 61
    summary = record("Unexpected exception in receive task")
    assert repeats.filter(summary)
    assert summary.getMessage() == "Unexpected exception in receive task (59 more like this in the last 60 s)"


def test_different_messages_and_loggers_are_counted_apart():
    repeats = RepeatFilter(window=60, clock=lambda: 0.0)
    assert repeats.filter(record("one"))
    assert repeats.filter(record("two"))
    assert repeats.filter(record("one", name="channels_redis.core"))
    assert not repeats.filter(record("one"))


def test_a_throttle_lets_one_pass_per_interval():
    clock = [100.0]
    throttle = Throttle(60.0, clock=lambda: clock[0])
    assert [throttle.ready(), throttle.ready()] == [True, False]
    clock[0] += 59
    assert throttle.ready() is False
    clock[0] += 2
    assert throttle.ready() is True
