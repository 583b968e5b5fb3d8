import type { ClickSource, Delivery, DeliveryHub, Signing } from './deliveries.js';
import { encodeCommandText } from './encode-command-text.js';
import type { SimEphemeral, SimMessage, SimState } from './state.js';

/** A click that never left the user's screen (they declined the confirm dialog). */
export interface NotSent {
  sent: false;
  reason: 'confirm_declined';
}

export interface RunCommandOptions {
  /** Where the command is typed. Slash commands cannot be run inside threads, so there is no thread option. */
  channel: string;
  /** HTTP mode only: sign correctly (default), with the wrong secret, or with a timestamp 6 minutes old. */
  signing?: Signing;
}

export interface ClickOptions {
  /** Required when the button has a confirm dialog: accept it (true) or decline it (false, nothing is sent). */
  confirm?: boolean;
  /** The button's block, when the same action_id or label appears in several blocks of the message. */
  blockId?: string;
  signing?: Signing;
}

interface Button {
  type: 'button';
  action_id: string;
  text: { type: string; text: string };
  value?: string;
  style?: string;
  url?: string;
  confirm?: unknown;
}

/** Buttons in a message, with the block each sits in. */
function buttonsOf(blocks: unknown[] | undefined): { button: Button; blockId: string }[] {
  const found: { button: Button; blockId: string }[] = [];
  for (const b of blocks ?? []) {
    const block = b as { type?: string; block_id?: string; elements?: unknown[]; accessory?: unknown };
    const candidates = block.type === 'actions' ? (block.elements ?? []) : block.accessory ? [block.accessory] : [];
    for (const el of candidates) {
      if ((el as { type?: string }).type === 'button')
        found.push({ button: el as Button, blockId: block.block_id ?? '' });
    }
  }
  return found;
}

function isEphemeral(m: SimMessage | SimEphemeral): m is SimEphemeral {
  return 'source' in m;
}

/** A person in the workspace: runs commands and clicks buttons, as the Slack client would send them. */
export class SimUser {
  constructor(
    private readonly state: SimState,
    private readonly hub: DeliveryHub,
    readonly id: string,
  ) {
    if (!state.ws.users.some((u) => u.id === id)) throw new Error(`no such user in the simulated workspace: ${id}`);
  }

  /**
   * Types `/command text` in a channel. `text` is what the person typed, with what they picked from autocomplete in
   * client markup (`<@U…>`, `<#C…>`, `<!here>`, `<https://…>`); it reaches the app as Slack encodes it for the
   * command's `should_escape` (see encodeCommandText). Resolves once the bot acked (or failed to within 3 s) with the delivery:
   * ack latency, any immediate reply, the response_url.
   */
  async runCommand(command: string, text: string, opts: RunCommandOptions): Promise<Delivery> {
    const { state } = this;
    const { ws } = state;
    if (command !== ws.command) throw new Error(`${command} is not a command of this app (it has ${ws.command})`);
    const channel = state.channels.get(opts.channel);
    if (!channel) throw new Error(`no such channel: ${opts.channel}`);
    if (!channel.members.includes(this.id)) throw new Error(`${this.id} is not in ${opts.channel}`);
    const userName = state.userName(this.id);
    const channelName =
      channel.kind === 'im' ? 'directmessage' : channel.kind === 'private' ? 'privategroup' : channel.name;
    const delivery = this.hub.start(
      'slash_commands',
      this.id,
      channel.id,
      ({ responseUrl, triggerId }) => ({
        // Every field is a string, as in Slack's form body (bolt-js notes is_enterprise_install arrives as 'false').
        token: 'sim-verification-token',
        team_id: ws.team.id,
        team_domain: ws.team.domain,
        channel_id: channel.id,
        channel_name: channelName,
        user_id: this.id,
        user_name: userName,
        command,
        text: encodeCommandText(text, {
          shouldEscape: ws.shouldEscape,
          userName: (id) => ws.users.find((u) => u.id === id)?.name,
          userIdByName: (name) => ws.users.find((u) => u.name === name && !u.isBot)?.id,
          channelName: (id) => state.channels.get(id)?.name,
        }),
        api_app_id: ws.appId,
        is_enterprise_install: 'false',
        response_url: responseUrl,
        trigger_id: triggerId,
      }),
      opts.signing ? { signing: opts.signing } : {},
    );
    return delivery.settled;
  }

  /**
   * Clicks the button whose action_id or label is `actionIdOrText` on a message (or ephemeral message) this user
   * sees. The message's current version is used, as on screen. A button with a confirm dialog needs
   * `confirm: true|false`; declining sends nothing.
   */
  async click(
    message: SimMessage | SimEphemeral,
    actionIdOrText: string,
    opts: ClickOptions = {},
  ): Promise<Delivery | NotSent> {
    const { state } = this;
    const ephemeral = isEphemeral(message);
    const current = ephemeral
      ? state.findEphemeral(message.channel, message.ts)
      : state.findMessage(message.channel, message.ts);
    if (!current || (ephemeral && (current as SimEphemeral).deleted)) {
      throw new Error(`the message ${message.ts} in ${message.channel} is no longer there to click`);
    }
    if (ephemeral && (current as SimEphemeral).user !== this.id) {
      throw new Error(`${this.id} cannot see an ephemeral message meant for ${(current as SimEphemeral).user}`);
    }
    this.checkSees(current);
    const matches = buttonsOf(current.blocks).filter(
      ({ button, blockId }) =>
        (button.action_id === actionIdOrText || button.text?.text === actionIdOrText) &&
        (opts.blockId === undefined || blockId === opts.blockId),
    );
    if (matches.length === 0) throw new Error(`no button "${actionIdOrText}" on message ${current.ts}`);
    if (matches.length > 1) throw new Error(`several buttons match "${actionIdOrText}"; use the action_id`);
    const { button, blockId } = matches[0]!;
    if (button.confirm !== undefined) {
      if (opts.confirm === undefined) {
        throw new Error(`"${actionIdOrText}" asks for confirmation: pass { confirm: true } or { confirm: false }`);
      }
      // The client shows the dialog; Slack sends nothing unless the user confirms (Slack docs, "Interactivity").
      if (!opts.confirm) return { sent: false, reason: 'confirm_declined' };
    }
    return this.sendBlockAction(
      current,
      ephemeral,
      {
        action_id: button.action_id,
        block_id: blockId,
        text: button.text,
        ...(button.value !== undefined ? { value: button.value } : {}),
        ...(button.style !== undefined ? { style: button.style } : {}),
        type: 'button',
      },
      opts.signing,
    );
  }

  /**
   * Picks the option whose text is `optionText` from the overflow menu or static select `actionId` on a message this
   * user sees, as the Slack client sends it: a block_actions payload with `selected_option`. In a select with option
   * groups, `opts.group` names the group (its label) when several hold that text.
   */
  async choose(
    message: SimMessage,
    actionId: string,
    optionText: string,
    opts: { group?: string } = {},
  ): Promise<Delivery | NotSent> {
    const { state } = this;
    const current = state.findMessage(message.channel, message.ts);
    if (!current) throw new Error(`the message ${message.ts} in ${message.channel} is no longer there`);
    this.checkSees(current);
    type Option = { text: { text: string }; value: string };
    type Menu = {
      type: 'overflow' | 'static_select';
      action_id: string;
      options?: Option[];
      option_groups?: { label: { text: string }; options: Option[] }[];
      placeholder?: unknown;
    };
    let found: { menu: Menu; blockId: string } | undefined;
    for (const b of current.blocks ?? []) {
      const block = b as { type?: string; block_id?: string; elements?: unknown[] };
      for (const el of block.type === 'actions' ? (block.elements ?? []) : []) {
        const e = el as { type?: string; action_id?: string };
        if ((e.type === 'overflow' || e.type === 'static_select') && e.action_id === actionId)
          found = { menu: el as Menu, blockId: block.block_id ?? '' };
      }
    }
    if (!found) throw new Error(`no menu "${actionId}" on message ${current.ts}`);
    const groups = found.menu.option_groups ?? [{ label: { text: '' }, options: found.menu.options ?? [] }];
    const matches = groups
      .filter((g) => opts.group === undefined || g.label.text === opts.group)
      .flatMap((g) => g.options.filter((o) => o.text.text === optionText));
    if (matches.length !== 1) {
      const where = opts.group === undefined ? '' : ` of group "${opts.group}"`;
      const offered = groups.map((g) => `${g.label.text}: ${g.options.map((o) => o.text.text).join(', ')}`);
      throw new Error(
        `${matches.length} options "${optionText}"${where} in menu "${actionId}" (${offered.join('; ')})`,
      );
    }
    const option = matches[0]!;
    const { menu } = found;
    return this.sendBlockAction(current, false, {
      type: menu.type,
      action_id: actionId,
      block_id: found.blockId,
      selected_option: { text: { type: 'plain_text', text: option.text.text, emoji: true }, value: option.value },
      ...(menu.type === 'static_select' && menu.placeholder ? { placeholder: menu.placeholder } : {}),
    });
  }

  /** Refuses a message in a channel this user cannot see (a private channel or DM they are not in). */
  private checkSees(current: SimMessage | SimEphemeral): void {
    const channel = this.state.channels.get(current.channel)!;
    if (channel.kind !== 'public' && !channel.members.includes(this.id))
      throw new Error(`${this.id} cannot see ${channel.id}`);
  }

  /**
   * Sends the block_actions payload the Slack client sends for one action (a button click, an overflow pick) on
   * `current`, with the message itself unless it is ephemeral (Slack leaves it out there), and its thread.
   */
  private sendBlockAction(
    current: SimMessage | SimEphemeral,
    ephemeral: boolean,
    action: Record<string, unknown>,
    signing?: Signing,
  ): Promise<Delivery | NotSent> {
    const { state } = this;
    const { ws } = state;
    const channel = state.channels.get(current.channel)!;
    const threadTs = current.thread_ts;
    const source: ClickSource = {
      channel: current.channel,
      ts: current.ts,
      ephemeral,
      ...(threadTs ? { threadTs } : {}),
    };
    const actionTs = state.nextTs();
    const delivery = this.hub.start(
      'block_actions',
      this.id,
      current.channel,
      ({ responseUrl, triggerId }) => {
        const { channel: _c, ...wireMessage } = current as SimMessage;
        return {
          type: 'block_actions',
          user: { id: this.id, username: state.userName(this.id), name: state.userName(this.id), team_id: ws.team.id },
          api_app_id: ws.appId,
          token: 'sim-verification-token',
          container: {
            type: 'message',
            message_ts: current.ts,
            channel_id: current.channel,
            is_ephemeral: ephemeral,
            ...(threadTs ? { thread_ts: threadTs } : {}),
          },
          trigger_id: triggerId,
          team: { id: ws.team.id, domain: ws.team.domain },
          enterprise: null,
          is_enterprise_install: false,
          channel: { id: channel.id, name: channel.kind === 'im' ? 'directmessage' : channel.name },
          ...(ephemeral ? {} : { message: structuredClone(wireMessage) }),
          state: { values: {} },
          response_url: responseUrl,
          actions: [{ ...action, action_ts: actionTs }],
        };
      },
      { source, ...(signing ? { signing } : {}) },
    );
    return delivery.settled;
  }

  /** Writes an ordinary message in a channel (or a thread), as a person would. */
  say(channel: string, text: string, opts: { threadTs?: string } = {}): SimMessage {
    const { state } = this;
    if (!state.isMember(channel, this.id)) throw new Error(`${this.id} is not in ${channel}`);
    const msg: SimMessage = {
      type: 'message',
      channel,
      ts: state.nextTs(),
      user: this.id,
      team: state.ws.team.id,
      text,
      ...(opts.threadTs ? { thread_ts: opts.threadTs } : {}),
    };
    state.messages.push(msg);
    state.changed();
    return msg;
  }

  /** Ephemeral messages this user currently sees (optionally in one channel). */
  ephemerals(channel?: string): SimEphemeral[] {
    return this.state.ephemerals.filter(
      (e) => e.user === this.id && !e.deleted && (channel === undefined || e.channel === channel),
    );
  }
}
