package chat.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/** What one class logs, kept for a test: {@link #attach} it, read {@link #at}, then {@link #detach}. */
public final class LogRecorder extends AppenderBase<ILoggingEvent> {

    private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();
    private final Logger logger;

    private LogRecorder(Class<?> source) {
        this.logger = (Logger) LoggerFactory.getLogger(source);
    }

    /** Starts recording what {@code source}'s logger logs. */
    public static LogRecorder attach(Class<?> source) {
        LogRecorder recorder = new LogRecorder(source);
        recorder.start();
        recorder.logger.addAppender(recorder);
        return recorder;
    }

    public void detach() {
        logger.detachAppender(this);
    }

    @Override
    protected void append(ILoggingEvent event) {
        events.add(event);
    }

    /** The messages logged at {@code level}, formatted, in order. */
    public List<String> at(Level level) {
        return events.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }
}
