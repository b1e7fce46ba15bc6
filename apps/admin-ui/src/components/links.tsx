// Mantine's Anchor and NavLink as typed router links (TanStack Router's createLink): `to` and `params`
// are checked against the route tree.
import { Anchor, Button, NavLink, type AnchorProps, type ButtonProps, type NavLinkProps } from '@mantine/core';
import { createLink, type LinkComponent } from '@tanstack/react-router';
import { forwardRef, type AnchorHTMLAttributes } from 'react';

type AnchorElementProps = AnchorProps & Omit<AnchorHTMLAttributes<HTMLAnchorElement>, keyof AnchorProps>;
type ButtonElementProps = ButtonProps & Omit<AnchorHTMLAttributes<HTMLAnchorElement>, keyof ButtonProps>;
type NavLinkElementProps = NavLinkProps & Omit<AnchorHTMLAttributes<HTMLAnchorElement>, keyof NavLinkProps>;

const AnchorElement = forwardRef<HTMLAnchorElement, AnchorElementProps>((props, ref) => <Anchor ref={ref} {...props} />);
const ButtonElement = forwardRef<HTMLAnchorElement, ButtonElementProps>((props, ref) => <Button component="a" ref={ref} {...props} />);
const NavLinkElement = forwardRef<HTMLAnchorElement, NavLinkElementProps>((props, ref) => <NavLink component="a" ref={ref} {...props} />);

const CreatedAnchorLink = createLink(AnchorElement);
const CreatedButtonLink = createLink(ButtonElement);
const CreatedNavLink = createLink(NavLinkElement);

export const AnchorLink: LinkComponent<typeof AnchorElement> = (props) => <CreatedAnchorLink preload="intent" {...props} />;
/** A link that looks like a button: for an action that opens its own page. */
export const ButtonLink: LinkComponent<typeof ButtonElement> = (props) => <CreatedButtonLink preload="intent" {...props} />;
/** Marked active on its own route (and below it); filled when active, for contrast (WCAG AA). */
export const NavigationLink: LinkComponent<typeof NavLinkElement> = (props) => (
  <CreatedNavLink preload="intent" variant="filled" activeProps={{ active: true }} {...props} />
);
