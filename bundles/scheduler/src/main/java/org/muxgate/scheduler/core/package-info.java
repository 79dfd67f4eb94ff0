/**
 * The scheduler itself, plain Java without OSGi types: {@link
 * org.muxgate.scheduler.core.TaskScheduler} builds the worker threads and their
 * queues. Private to the bundle; other bundles see the {@code
 * org.muxgate.api.scheduler} interfaces.
 */
package org.muxgate.scheduler.core;
