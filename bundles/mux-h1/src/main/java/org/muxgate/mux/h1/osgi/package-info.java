/** The h1 mux bundle's Declarative Services component. */
package org.muxgate.mux.h1.osgi;
