from headway.accounts.roles import Action, Role, role_allows


def test_a_board_member_reads_and_comments_but_cannot_edit_or_decide():
    assert role_allows(Role.BOARD, Action.VIEW)
    assert role_allows(Role.BOARD, Action.COMMENT)
    assert not role_allows(Role.BOARD, Action.EDIT_ANY_INITIATIVE)
    assert not role_allows(Role.BOARD, Action.DECIDE)


def test_a_delivery_lead_may_edit_only_their_own_initiatives():
    assert role_allows(Role.DELIVERY_LEAD, Action.EDIT_OWN_INITIATIVE)
    assert not role_allows(Role.DELIVERY_LEAD, Action.EDIT_ANY_INITIATIVE)
    assert not role_allows(Role.DELIVERY_LEAD, Action.DECIDE)


def test_only_the_portfolio_office_administers_the_organisation():
    assert [r for r in Role if role_allows(r, Action.ADMINISTER)] == [Role.PORTFOLIO_OFFICE]


def test_a_viewer_only_views():
    assert [a for a in Action if role_allows(Role.VIEWER, a)] == [Action.VIEW]


def test_an_unknown_role_may_do_nothing():
    assert not role_allows("chief-everything", Action.VIEW)
