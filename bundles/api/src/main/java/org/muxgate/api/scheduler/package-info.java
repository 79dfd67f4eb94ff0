/**
 * The task scheduler every Muxgate bundle runs on: worker threads, tasks with
 * timers and thread masks, tasklets, and the poller each worker thread sleeps in.
 *
 * <p>The model is HAProxy's: a task is woken (never called directly), runs on one
 * of the threads of its mask, one thread at a time, and returns itself to stay
 * alive. Everything that touches a connection runs on that connection's thread,
 * so most code needs no lock at all.
 */
@Export
@Version("1.0.0")
package org.muxgate.api.scheduler;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
