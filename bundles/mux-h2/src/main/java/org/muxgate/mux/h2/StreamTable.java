package org.muxgate.mux.h2;

/**
 * The streams of one connection by id: open addressing with linear probing over a
 * power-of-two array, so that a lookup per frame allocates nothing (a map of boxed
 * ids would). Deletion shifts the following entries back (no tombstones). The table
 * never holds more than the connection allows streams, so it is sized once.
 *
 * <p>Threads: the connection's.
 */
final class StreamTable {

    private final int[] ids;
    private final H2Stream[] streams;
    private final int mask;
    private int size;

    /** @param capacity the most streams held at once */
    StreamTable(int capacity) {
        int length = Integer.highestOneBit(Math.max(4, capacity * 2) - 1) << 1;
        ids = new int[length];
        streams = new H2Stream[length];
        mask = length - 1;
    }

    int size() {
        return size;
    }

    /** @return the stream of {@code id}, or null */
    H2Stream get(int id) {
        for (int i = slot(id); streams[i] != null; i = (i + 1) & mask) {
            if (ids[i] == id) {
                return streams[i];
            }
        }
        return null;
    }

    /** Adds a stream whose id is not in the table; the caller keeps within the capacity. */
    void put(H2Stream stream) {
        int i = slot(stream.id);
        while (streams[i] != null) {
            i = (i + 1) & mask;
        }
        ids[i] = stream.id;
        streams[i] = stream;
        size++;
    }

    void remove(int id) {
        int i = slot(id);
        while (streams[i] != null && ids[i] != id) {
            i = (i + 1) & mask;
        }
        if (streams[i] == null) {
            return;
        }
        streams[i] = null;
        size--;
        // Moves back each following entry of the run that its probe would no longer find.
        for (int j = (i + 1) & mask; streams[j] != null; j = (j + 1) & mask) {
            int home = slot(ids[j]);
            boolean reachable = i <= j ? (home > i && home <= j) : (home > i || home <= j);
            if (!reachable) {
                ids[i] = ids[j];
                streams[i] = streams[j];
                streams[j] = null;
                i = j;
            }
        }
    }

    /** The stream at array index {@code index}, or null: for walking every stream with {@link #capacity()}. */
    H2Stream at(int index) {
        return streams[index];
    }

    int capacity() {
        return streams.length;
    }

    private int slot(int id) {
        // Client stream ids are odd and consecutive: a multiplicative hash spreads them.
        return (id * 0x9E3779B9) >>> 7 & mask;
    }
}
