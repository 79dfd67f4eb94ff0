/** The h2 mux bundle's Declarative Services component. */
package org.muxgate.mux.h2.osgi;
