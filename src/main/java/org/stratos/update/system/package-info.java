/** Cross-cutting set-up: clock, process deployment, start-up checks. */
package org.stratos.update.system;
