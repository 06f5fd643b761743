package io.prescale.live.serve;

import io.prescale.core.model.PriorityClass;
import io.prescale.live.tensor.TensorBatching;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A model's bounded queue with one FIFO lane per priority class. Capacity counts requests, so memory is
 * bounded by capacity times the largest accepted body. When full, an arrival of higher priority displaces
 * the newest request of the lowest priority present; otherwise it is refused.
 */
final class RequestQueue {
    private final ArrayDeque<InferenceRequest>[] lanes;
    private final int[] laneRows; // rows waiting in each lane
    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private int size;
    private int rows;
    private boolean closed;

    @SuppressWarnings("unchecked")
    RequestQueue(int capacity) {
        this.capacity = capacity;
        lanes = new ArrayDeque[PriorityClass.values().length];
        laneRows = new int[lanes.length];
        for (int i = 0; i < lanes.length; i++) lanes[i] = new ArrayDeque<>();
    }

    /** Adds {@code r}; returns a request it displaced (to be refused), {@code r} itself when refused, or null. */
    InferenceRequest offer(InferenceRequest r) {
        lock.lock();
        try {
            if (closed) return r;
            InferenceRequest displaced = null;
            if (size >= capacity) {
                int lowest = lowestNonEmptyLane();
                if (lowest <= r.priority.ordinal()) return r;
                displaced = lanes[lowest].pollLast();
                removed(displaced);
            }
            lanes[r.priority.ordinal()].addLast(r);
            size++;
            rows += r.rows;
            laneRows[r.priority.ordinal()] += r.rows;
            changed.signalAll();
            return displaced;
        } finally {
            lock.unlock();
        }
    }

    private int lowestNonEmptyLane() {
        for (int i = lanes.length - 1; i >= 0; i--) if (!lanes[i].isEmpty()) return i;
        return -1;
    }

    /**
     * Waits up to {@code waitNanos} for work, then forms a batch: the oldest request of the highest priority
     * and, when {@code maxRows > 1}, compatible requests up to {@code maxRows} rows, waiting at most until
     * the head has been queued {@code maxDelayNanos}. Requests past their deadline go to {@code expired}.
     * Returns an empty list when nothing came, the queue closed, or {@code quit} says so.
     */
    List<InferenceRequest> takeBatch(int maxRows, long maxDelayNanos, long waitNanos, Consumer<InferenceRequest> expired,
                                     java.util.function.BooleanSupplier quit) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            long waitUntil = System.nanoTime() + waitNanos;
            while (true) {
                dropExpired(expired);
                if (quit.getAsBoolean()) return List.of(); // a taker told to stop takes nothing more
                if (closed && size == 0) return List.of();
                if (size == 0) {
                    long left = waitUntil - System.nanoTime();
                    if (left <= 0) return List.of();
                    changed.awaitNanos(left);
                    continue;
                }
                InferenceRequest head = peekHead();
                if (maxRows > 1 && !closed) {
                    long gatherUntil = head.arrivedNanos + maxDelayNanos;
                    long left = gatherUntil - System.nanoTime();
                    if (left > 0 && compatibleRows(head, maxRows) < maxRows) {
                        changed.awaitNanos(left);
                        continue;
                    }
                }
                return removeBatch(head, maxRows);
            }
        } finally {
            lock.unlock();
        }
    }

    private InferenceRequest peekHead() {
        for (ArrayDeque<InferenceRequest> lane : lanes) if (!lane.isEmpty()) return lane.peekFirst();
        throw new IllegalStateException("empty");
    }

    private int compatibleRows(InferenceRequest head, int maxRows) {
        int n = 0;
        for (ArrayDeque<InferenceRequest> lane : lanes) {
            for (InferenceRequest r : lane) {
                if (r == head || TensorBatching.compatible(head.inputs, r.inputs)) {
                    n += r.rows;
                    if (n >= maxRows) return n;
                }
            }
        }
        return n;
    }

    private List<InferenceRequest> removeBatch(InferenceRequest head, int maxRows) {
        List<InferenceRequest> batch = new ArrayList<>();
        int taken = 0;
        for (ArrayDeque<InferenceRequest> lane : lanes) {
            Iterator<InferenceRequest> it = lane.iterator();
            while (it.hasNext()) {
                InferenceRequest r = it.next();
                boolean fits = batch.isEmpty() ? r == head : taken + r.rows <= maxRows && TensorBatching.compatible(head.inputs, r.inputs);
                if (fits) {
                    it.remove();
                    batch.add(r);
                    taken += r.rows;
                    removed(r);
                }
                if (taken >= maxRows) break;
            }
            if (taken >= maxRows) break;
        }
        if (size > 0) changed.signalAll();
        return batch;
    }

    /** Hands every request past its deadline to {@code expired}: for a queue no worker is taking from (no replica). */
    void expireOverdue(Consumer<InferenceRequest> expired) {
        lock.lock();
        try {
            dropExpired(expired);
        } finally {
            lock.unlock();
        }
    }

    private void dropExpired(Consumer<InferenceRequest> expired) {
        long now = System.nanoTime();
        for (ArrayDeque<InferenceRequest> lane : lanes) {
            Iterator<InferenceRequest> it = lane.iterator();
            while (it.hasNext()) {
                InferenceRequest r = it.next();
                if (now - r.deadlineNanos > 0) {
                    it.remove();
                    removed(r);
                    expired.accept(r);
                }
            }
        }
    }

    int size() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }

    int rows() {
        lock.lock();
        try {
            return rows;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Rows a request of {@code priority} would wait behind: those queued at its priority (its lane is first in, first
     * out) and above it (taken first). Lower-priority rows are served after it; one may share its batch, which costs
     * no extra batch.
     */
    int rowsAhead(PriorityClass priority) {
        lock.lock();
        try {
            int n = 0;
            for (int i = 0; i <= priority.ordinal(); i++) n += laneRows[i];
            return n;
        } finally {
            lock.unlock();
        }
    }

    /** Books {@code r} out of the counts (the caller took it out of its lane). */
    private void removed(InferenceRequest r) {
        size--;
        rows -= r.rows;
        laneRows[r.priority.ordinal()] -= r.rows;
    }

    int capacity() {
        return capacity;
    }

    /** Wakes every waiting taker, so one told to stop sees it now rather than at the end of its wait. */
    void wakeTakers() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Stops admitting; waiting takers drain what is left, then see an empty list. */
    void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Removes everything still queued (for a forced stop), handing each to {@code sink}. */
    void clear(Consumer<InferenceRequest> sink) {
        lock.lock();
        try {
            for (ArrayDeque<InferenceRequest> lane : lanes) {
                while (!lane.isEmpty()) sink.accept(lane.pollFirst());
            }
            size = 0;
            rows = 0;
            java.util.Arrays.fill(laneRows, 0);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    boolean await(long nanos) throws InterruptedException {
        lock.lock();
        try {
            return changed.await(nanos, TimeUnit.NANOSECONDS);
        } finally {
            lock.unlock();
        }
    }
}
