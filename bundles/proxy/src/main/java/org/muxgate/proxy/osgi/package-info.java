/** The proxy bundle's Declarative Services component: the file named by the launcher, run by an engine. */
package org.muxgate.proxy.osgi;
