// Prints the README's key table, generated from source/ui/keymap.ts (the help overlay and the
// footer come from the same list, so the three cannot drift apart).
//   node --import tsx scripts/keymap-table.ts
import {keyTableMarkdown} from '../source/ui/keymap.ts';

process.stdout.write(keyTableMarkdown());
