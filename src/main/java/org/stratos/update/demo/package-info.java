/** The demo application of the embedded default run: registered from {@code config/demo/} at start-up. */
package org.stratos.update.demo;
