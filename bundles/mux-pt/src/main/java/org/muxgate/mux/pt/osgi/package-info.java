/** The pt mux bundle's Declarative Services component. */
package org.muxgate.mux.pt.osgi;
