/** The transport bundle's Declarative Services components: the poller factory and the mux registry. */
package org.muxgate.transport.osgi;
