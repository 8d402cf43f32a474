#!/usr/bin/python3
# A stand-in freedesktop notification daemon for the desktop test (there is none
# under Xvfb): it takes org.freedesktop.Notifications on the session bus, prints
# each notification as one JSON line, and "clicks" it (ActionInvoked "default")
# when it offers that action, as a person clicking the bubble would.
import json
import sys

import dbus
import dbus.service
from dbus.mainloop.glib import DBusGMainLoop
from gi.repository import GLib

NAME = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"


class Daemon(dbus.service.Object):
    def __init__(self, bus):
        super().__init__(bus, PATH)
        self.next_id = 0

    @dbus.service.method(NAME, in_signature="susssasa{sv}i", out_signature="u")
    def Notify(self, app_name, replaces_id, icon, summary, body, actions, hints, timeout):
        self.next_id += 1
        nid = self.next_id
        print(json.dumps({"id": nid, "app": str(app_name), "summary": str(summary), "body": str(body),
                          "actions": [str(a) for a in actions]}), flush=True)
        if "default" in [str(a) for a in actions[::2]]:
            GLib.timeout_add(300, self.click, nid)
        return dbus.UInt32(nid)

    def click(self, nid):
        self.ActionInvoked(dbus.UInt32(nid), "default")
        GLib.timeout_add(100, self.close, nid)
        return False

    def close(self, nid):
        self.NotificationClosed(dbus.UInt32(nid), dbus.UInt32(2))
        return False

    @dbus.service.method(NAME, in_signature="u", out_signature="")
    def CloseNotification(self, nid):
        self.NotificationClosed(nid, dbus.UInt32(3))

    @dbus.service.method(NAME, in_signature="", out_signature="as")
    def GetCapabilities(self):
        return ["actions", "body"]

    @dbus.service.method(NAME, in_signature="", out_signature="ssss")
    def GetServerInformation(self):
        return ("chorus-test", "chorus", "1.0", "1.2")

    @dbus.service.signal(NAME, signature="us")
    def ActionInvoked(self, nid, action):
        pass

    @dbus.service.signal(NAME, signature="uu")
    def NotificationClosed(self, nid, reason):
        pass


DBusGMainLoop(set_as_default=True)
bus = dbus.SessionBus()
name = dbus.service.BusName(NAME, bus)
daemon = Daemon(bus)
print(json.dumps({"ready": True}), flush=True)
sys.stdout.flush()
GLib.MainLoop().run()
