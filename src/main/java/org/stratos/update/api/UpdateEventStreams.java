package org.stratos.update.api;

import jakarta.annotation.PreDestroy;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.stratos.update.update.UpdateReadModel;
import org.stratos.update.update.UpdateView;

/**
 * The open {@code GET /api/updates/{id}/events} streams. Each is a task on a small scheduled pool that reads the
 * update from the database every {@code stratos.api.events.poll-interval} and sends it when it changed, so the
 * stream follows the update whichever manager node runs it; no database connection and no request thread is held
 * between reads. When the update has ended the stream gets a last event {@code ended} and is closed.
 */
@Component
class UpdateEventStreams {

    static final String PROGRESS = "progress";
    static final String ENDED = "ended";
    private static final Logger log = LoggerFactory.getLogger(UpdateEventStreams.class);

    private final UpdateReadModel views;
    private final Duration interval;
    private final Duration keepAlive;
    private final ScheduledExecutorService pool;
    private final Set<Stream> open = ConcurrentHashMap.newKeySet();

    UpdateEventStreams(
            UpdateReadModel views,
            @Value("${stratos.api.events.poll-interval}") Duration interval,
            @Value("${stratos.api.events.keep-alive}") Duration keepAlive) {
        this.views = views;
        this.interval = interval;
        this.keepAlive = keepAlive;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "update-events-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts streaming {@code first} and what becomes of it to {@code sink}. */
    void open(UpdateView first, SseEventSink sink, Sse sse) {
        Stream stream = new Stream(first.updateId(), sink, sse);
        open.add(stream);
        stream.send(first);
        if (!stream.closed) {
            stream.task = pool.scheduleWithFixedDelay(
                    stream::poll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** How many streams are open (for tests and metrics). */
    int openStreams() {
        return open.size();
    }

    @PreDestroy
    void closeAll() {
        pool.shutdownNow();
        open.forEach(Stream::close);
    }

    /** One client's stream. Only its own task touches it after {@link #open}, so no locking. */
    private final class Stream {

        private final String updateId;
        private final SseEventSink sink;
        private final Sse sse;
        private long nextId = 1;
        private UpdateView last;
        private long lastSentNanos;
        private boolean failing;
        private volatile boolean closed;
        private volatile ScheduledFuture<?> task;

        Stream(String updateId, SseEventSink sink, Sse sse) {
            this.updateId = updateId;
            this.sink = sink;
            this.sse = sse;
        }

        void poll() {
            try {
                if (sink.isClosed()) {
                    close();
                    return;
                }
                Optional<UpdateView> now = views.find(updateId);
                failing = false;
                if (now.isEmpty()) {
                    close();
                } else if (!now.get().equals(last)) {
                    send(now.get());
                } else if (System.nanoTime() - lastSentNanos > keepAlive.toNanos()) {
                    emit(sse.newEventBuilder().comment("no change").build());
                }
            } catch (RuntimeException e) {
                // a database hiccup: keep the stream and try again at the next tick, logging once per run of failures
                if (!failing) {
                    log.warn("Events of update {}: cannot read the update, retrying", updateId, e);
                }
                failing = true;
            }
        }

        void send(UpdateView view) {
            last = view;
            emit(event(PROGRESS, view));
            if (view.state().ended()) {
                emit(event(ENDED, view));
                close();
            }
        }

        private OutboundSseEvent event(String name, UpdateView view) {
            return sse.newEventBuilder()
                    .name(name)
                    .id(Long.toString(nextId++))
                    .mediaType(MediaType.APPLICATION_JSON_TYPE)
                    .data(UpdateView.class, view)
                    .build();
        }

        private void emit(OutboundSseEvent event) {
            if (closed) {
                return;
            }
            lastSentNanos = System.nanoTime();
            sink.send(event).whenComplete((ok, failure) -> {
                if (failure != null) {
                    close(); // the client went away
                }
            });
        }

        void close() {
            closed = true;
            ScheduledFuture<?> t = task;
            if (t != null) {
                t.cancel(false);
            }
            open.remove(this);
            try {
                sink.close();
            } catch (RuntimeException e) {
                log.debug("Events of update {}: closing the stream failed", updateId, e);
            }
        }
    }
}
