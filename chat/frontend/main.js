/* The chat room page's script (chat/templates/chat/room.html), bundled by esbuild into
build/static/chat/chat.js (`npm run build`, which `make install` runs).

The room page works without it: a POST form and the history rendered by the server. With it,
messages arrive without reloading, are sent over the socket (and resent with the same client id
after a reconnect until the server acknowledges them), can be edited and deleted, and older ones
load on request. Every text shown comes from the page (data-chat-strings), translated there. Text
written by people is only ever put into the page as text nodes, never as markup. The room is in
room.js; the modules beside it each take one concern.
*/

import { ChatRoom } from "./room.js";

const chatRoot = document.querySelector(".chat[data-room]");
if (chatRoot) new ChatRoom(chatRoot).start();
