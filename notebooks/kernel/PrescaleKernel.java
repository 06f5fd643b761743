import org.rapaio.jupyter.kernel.MainApp;
import org.rapaio.jupyter.kernel.channels.Channels;
import org.rapaio.jupyter.kernel.channels.LoopThread;
import org.rapaio.jupyter.kernel.core.ConnectionProperties;
import org.rapaio.jupyter.kernel.core.Transform;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Starts rapaio-jupyter-kernel 3.0.1 like its own MainApp, minus two start-up races that leave Jupyter waiting
 * 60 s for a kernel that never answers (about one start in two on a busy 2-core machine):
 * <ul>
 * <li>LoopThread.start() starts the thread and only then sets {@code running = true}; a thread that checks the
 *     flag first exits at once, silently, and its channel (shell, control or heartbeat) goes deaf. We stop each
 *     channel's loop thread and start an identical one whose flag is set before it starts.</li>
 * <li>Channels.connect binds the sockets before it creates the handler map, so an early kernel_info_request
 *     throws a NullPointerException in the shell thread. An empty map set first makes it merely "unhandled";
 *     Jupyter resends it until the kernel replies.</li>
 * </ul>
 * Compiled by setup-kernel.sh against the kernel jar; kernel.json runs this class.
 */
public final class PrescaleKernel {
    public static void main(String[] args) throws Exception {
        if (args.length != 1) throw new IllegalArgumentException("usage: PrescaleKernel CONNECTION_FILE");
        // the kernel logs every message at INFO on stderr; PRESCALE_KERNEL_LOG=INFO shows them
        Logger.getLogger("").setLevel(Level.parse(System.getenv().getOrDefault("PRESCALE_KERNEL_LOG", "WARNING")));
        ConnectionProperties props = Transform.fromJson(Files.readString(Path.of(args[0])), ConnectionProperties.class);
        Channels channels = new Channels(props);
        field(Channels.class, "handlers").set(channels, new HashMap<>());
        channels.connect(MainApp.kernel);  // the one instance display() and the magics reach
        for (String name : new String[] {"heartbeat", "shell", "control"}) restartLoop(field(Channels.class, name).get(channels));
        channels.joinUntilClose();
    }

    /** Replaces a channel's loop thread by one that cannot miss its start. */
    private static void restartLoop(Object channel) throws Exception {
        Field loopField = field(channel.getClass(), "loopThread");
        LoopThread old = (LoopThread) loopField.get(channel);
        old.shutdown();
        old.join();
        LoopThread fresh = new LoopThread(old.getName(), (long) field(LoopThread.class, "sleep").get(old),
                (Runnable) field(LoopThread.class, "loopBody").get(old));
        field(LoopThread.class, "running").set(fresh, true);
        loopField.set(channel, fresh);
        fresh.start();
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        Field f = type.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }
}
