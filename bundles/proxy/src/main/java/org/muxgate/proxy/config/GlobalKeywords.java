package org.muxgate.proxy.config;

import java.util.EnumSet;
import java.util.Set;

/** The keywords of the {@code global} section. */
final class GlobalKeywords {

    private static final Set<SectionType> GLOBAL = EnumSet.of(SectionType.GLOBAL);

    /** Below this a buffer cannot hold the headers of an ordinary HTTP request. */
    private static final int MIN_BUFSIZE = 1024;
    /** Above this, buffers of idle connections would cost more memory than they save system calls. */
    private static final int MAX_BUFSIZE = 1024 * 1024;

    static final KeywordTable<GlobalBuilder> KEYWORDS = new KeywordTable<GlobalBuilder>("keyword")
            .add("nbthread", GLOBAL,
                    (args, global) -> global.nbthread = args.nextInt("thread count", 1, GlobalSettings.MAX_THREADS))
            .add("maxconn", GLOBAL,
                    (args, global) -> global.maxconn = args.nextInt("maxconn", 0, Integer.MAX_VALUE))
            .add("tune.bufsize", GLOBAL,
                    (args, global) -> global.bufsize = args.nextInt("buffer size", MIN_BUFSIZE, MAX_BUFSIZE))
            .add("tune.http.maxhdr", GLOBAL,
                    (args, global) -> global.maxhdr = args.nextInt("header count", 1, GlobalSettings.MAX_MAXHDR))
            // At least the protocol's default: a smaller one would bind the client only
            // once it acknowledged our SETTINGS, and a stream's first bytes may come before.
            .add("tune.h2.initial-window-size", GLOBAL, (args, global) -> global.h2InitialWindow = args.nextInt(
                    "window size", GlobalSettings.DEFAULT_H2_WINDOW, Integer.MAX_VALUE))
            .add("hard-stop-after", GLOBAL,
                    (args, global) -> global.hardStopAfter = Values.time(args.next("time"), "hard-stop-after"));

    private GlobalKeywords() {
    }
}
