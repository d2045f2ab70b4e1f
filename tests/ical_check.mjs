// Parse an iCalendar document from stdin with Mozilla's ical.js and print what it read as JSON.
import ICAL from "ical.js";

let text = "";
for await (const chunk of process.stdin) text += chunk;
const root = new ICAL.Component(ICAL.parse(text));
for (const zone of root.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(zone);
const events = root.getAllSubcomponents("vevent").map((component) => {
  const event = new ICAL.Event(component);
  return {
    uid: event.uid,
    start: event.startDate.toJSDate().toISOString(),
    end: event.endDate.toJSDate().toISOString(),
    tzid: event.startDate.timezone || event.startDate.zone?.tzid,
    sequence: event.sequence,
    status: component.getFirstPropertyValue("status"),
    organizer: component.getFirstPropertyValue("organizer"),
    attendees: event.attendees.map((a) => ({
      address: a.getFirstValue(),
      rsvp: a.getParameter("rsvp"),
      partstat: a.getParameter("partstat"),
    })),
  };
});
console.log(JSON.stringify({ method: root.getFirstPropertyValue("method"), events }));
